# crochet_extract_snippets(<document> <output dir> <prefix> <context header>)
#
# Writes every ```cpp block of the Markdown file <document> to
# <output dir>/<name>.cpp and sets, in the caller's scope:
#   <prefix>_NAMES           the blocks' names: <document>-<heading>[-<n>],
#                            e.g. readme-blocking-calls (the heading above the
#                            block up to its first ':' or '(', in lower case;
#                            -2, -3 … for further blocks under one heading)
#   <prefix>_<name>_KIND     program (it has `int main(`), fragment (its first
#                            line is `// fragment…`) or unmarked (neither)
#   <prefix>_<name>_LINE     the line of <document> where the code starts
#   <prefix>_<name>_FILE     the generated source file
#
# A program is written as it is. A fragment (or an unmarked block) is
# wrapped in a translation unit that first includes <context header>, which
# provides the includes and the names the fragment takes from the text
# around it; then, if the fragment declares things that only a namespace may
# hold (a line starting with #include, template, class, struct or
# namespace), it follows as it is, and otherwise it becomes the body of a
# member function of a class derived from FragmentContext (so that it may
# use `this` and the context's members). A `#line` directive makes the
# compiler report errors at the line of the Markdown file.
function(crochet_extract_snippets document output_dir prefix context_header)
    get_filename_component(document_name ${document} NAME_WE)
    string(TOLOWER ${document_name} document_slug)
    file(READ ${document} text)
    # CMake lists split at ';', and '\', '[' and ']' change that: hide all four
    # behind control characters, and bring them back in the files written.
    string(ASCII 1 semicolon)
    string(ASCII 2 backslash)
    string(ASCII 3 left_bracket)
    string(ASCII 4 right_bracket)
    string(REPLACE "\\" "${backslash}" text "${text}")
    string(REPLACE ";" "${semicolon}" text "${text}")
    string(REPLACE "[" "${left_bracket}" text "${text}")
    string(REPLACE "]" "${right_bracket}" text "${text}")
    string(REPLACE "\n" ";" lines "${text}")

    set(names)
    set(in_fence FALSE)
    set(in_cpp FALSE)
    set(heading_slug ${document_slug})
    set(line_number 0)
    foreach(line IN LISTS lines)
        math(EXPR line_number "${line_number} + 1")
        if(in_fence)
            if(line MATCHES "^```[ \t]*$")
                set(in_fence FALSE)
                if(in_cpp)
                    _crochet_write_snippet()
                    set(in_cpp FALSE)
                endif()
            elseif(in_cpp)
                string(APPEND code "${line}\n")
            endif()
        elseif(line MATCHES "^```[ \t]*([A-Za-z0-9+]*)")
            set(in_fence TRUE)
            if(CMAKE_MATCH_1 STREQUAL "cpp" OR CMAKE_MATCH_1 STREQUAL "c++")
                set(in_cpp TRUE)
                set(code "")
                math(EXPR code_line "${line_number} + 1")
            endif()
        elseif(line MATCHES "^#+[ \t]+([^:(]*)")
            string(TOLOWER "${CMAKE_MATCH_1}" heading)
            string(REGEX REPLACE "[^a-z0-9]+" "-" heading "${heading}")
            string(REGEX REPLACE "^-+|-+$" "" heading "${heading}")
            set(heading_slug ${document_slug}-${heading})
            set(block_in_heading 0)
        endif()
    endforeach()
    if(in_cpp)
        message(FATAL_ERROR "${document}:${code_line}: a ```cpp block is not closed")
    endif()

    set(${prefix}_NAMES ${names} PARENT_SCOPE)
    foreach(name IN LISTS names)
        foreach(property KIND LINE FILE)
            set(${prefix}_${name}_${property} ${${prefix}_${name}_${property}} PARENT_SCOPE)
        endforeach()
    endforeach()
endfunction()

# The body of crochet_extract_snippets() at the end of a ```cpp block; a macro,
# so that it sets the function's variables.
macro(_crochet_write_snippet)
    math(EXPR block_in_heading "${block_in_heading} + 1")
    set(name ${heading_slug})
    if(block_in_heading GREATER 1)
        set(name ${heading_slug}-${block_in_heading})
    endif()
    if(code MATCHES "(^|\n)int main\\(")
        set(kind program)
    elseif(code MATCHES "^// fragment")
        set(kind fragment)
    else()
        set(kind unmarked)
    endif()

    set(source "// Generated from ${document}:${code_line}; do not edit.\n")
    if(kind STREQUAL "program")
        string(APPEND source "#line ${code_line} \"${document}\"\n${code}")
    elseif(code MATCHES "(^|\n)(#include|template|class|struct|namespace)[ <\n]")
        string(APPEND source "#include \"${context_header}\"\n"
                             "#line ${code_line} \"${document}\"\n${code}")
        if(code MATCHES "Q_OBJECT")
            string(APPEND source "#include \"${name}.moc\"\n")
        endif()
    else()
        # A namespace of its own, not an anonymous one: body() is never called.
        string(MAKE_C_IDENTIFIER ${name} namespace)
        string(APPEND source "#include \"${context_header}\"\n"
                             "// Documentation leaves variables unused.\n"
                             "#pragma GCC diagnostic ignored \"-Wunused-variable\"\n"
                             "#pragma GCC diagnostic ignored \"-Wunused-but-set-variable\"\n"
                             "namespace ${namespace} {\n"
                             "struct Fragment : FragmentContext\n{\n    void body();\n};\n"
                             "void Fragment::body()\n{\n"
                             "#line ${code_line} \"${document}\"\n${code}}\n"
                             "} // namespace ${namespace}\n")
    endif()
    string(REPLACE "${semicolon}" ";" source "${source}")
    string(REPLACE "${backslash}" "\\" source "${source}")
    string(REPLACE "${left_bracket}" "[" source "${source}")
    string(REPLACE "${right_bracket}" "]" source "${source}")

    # Written only when it changed, so that configuring again rebuilds nothing.
    set(file ${output_dir}/${name}.cpp)
    file(WRITE ${file}.new "${source}")
    file(COPY_FILE ${file}.new ${file} ONLY_IF_DIFFERENT)
    file(REMOVE ${file}.new)

    list(APPEND names ${name})
    set(${prefix}_${name}_KIND ${kind})
    set(${prefix}_${name}_LINE ${code_line})
    set(${prefix}_${name}_FILE ${file})
endmacro()
