#!/usr/bin/env python3
# Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
"""Checks that the API reference tells a user what they need to know.

Usage: checkapi.py <doxygen xml folder>

Reads Doxygen's XML output for the public headers and fails (status 1,
listing what is missing) unless:
- every public class and struct, and every free function of the namespace
  Crochet, has a "Header and CMake target" paragraph (\\library);
- every public function says from which threads it may be called
  (\\threads on it, or on its class for all its members) and what it
  throws (\\throws, or \\nothrow).
Destructors, copy and move operations, and signals (which are emitted, not
called) need no Threads or Throws of their own.
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

LIBRARY = "Header and CMake target"
THREADS = "Threads"
THROWS = "Throws"


def par_titles(element):
    """Titles of the \\par sections in a member's or compound's description."""
    titles = set()
    if element is None:
        return titles
    for section in element.iter("simplesect"):
        if section.get("kind") == "par":
            title = section.find("title")
            if title is not None and title.text:
                titles.add(title.text.strip())
    return titles


def documents_exceptions(member):
    for parameters in member.iter("parameterlist"):
        if parameters.get("kind") == "exception":
            return True
    return THROWS in par_titles(member.find("detaileddescription"))


def is_special_member(member, class_name):
    """Destructor, copy or move constructor or assignment: nothing to say."""
    name = member.findtext("name", "")
    short_class = class_name.split("::")[-1].split("<")[0]
    if name.startswith("~"):
        return True
    if name not in (short_class, "operator="):
        return False
    params = member.findall("param")
    if len(params) != 1:
        return False
    kind = "".join(params[0].find("type").itertext()) if params[0].find("type") is not None else ""
    return short_class in kind and ("&" in kind)


def check(xml_dir):
    problems = []
    index = ET.parse(xml_dir / "index.xml").getroot()
    checked_functions = 0
    checked_classes = 0
    for compound in index.findall("compound"):
        kind = compound.get("kind")
        if kind not in ("class", "struct", "namespace"):
            continue
        name = compound.findtext("name", "")
        if not name.startswith("Crochet") or "detail" in name.split("::"):
            continue
        tree = ET.parse(xml_dir / (compound.get("refid") + ".xml")).getroot()
        definition = tree.find("compounddef")
        if definition.get("prot", "public") != "public":
            continue
        if kind in ("class", "struct"):
            checked_classes += 1
            titles = par_titles(definition.find("detaileddescription"))
            if LIBRARY not in titles:
                problems.append(f"{kind} {name}: no \\library (header and CMake target)")
            class_threads = THREADS in titles
        for section in definition.findall("sectiondef"):
            section_kind = section.get("kind", "")
            if kind == "namespace":
                if section_kind != "func":
                    continue
            elif not (section_kind.startswith("public") and "func" in section_kind) and \
                    section_kind not in ("public-slot",):
                continue
            for member in section.findall("memberdef"):
                if member.get("kind") != "function":
                    continue
                member_name = f"{name}::{member.findtext('name', '')}{member.findtext('argsstring', '')}"
                titles = par_titles(member.find("detaileddescription"))
                if kind == "namespace":
                    if LIBRARY not in titles:
                        problems.append(f"{member_name}: no \\library (header and CMake target)")
                    has_threads = THREADS in titles
                else:
                    if is_special_member(member, name):
                        continue
                    has_threads = THREADS in titles or class_threads
                checked_functions += 1
                if not has_threads:
                    problems.append(f"{member_name}: no \\threads (here or on its class)")
                if not documents_exceptions(member):
                    problems.append(f"{member_name}: no \\throws (or \\nothrow)")
    return problems, checked_classes, checked_functions


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    problems, classes, functions = check(Path(sys.argv[1]))
    for problem in problems:
        print(f"checkapi: {problem}", file=sys.stderr)
    if problems:
        print(f"checkapi: {len(problems)} gaps in the API reference", file=sys.stderr)
        return 1
    if classes == 0 or functions == 0:
        print("checkapi: found no classes or functions: wrong folder?", file=sys.stderr)
        return 1
    print(f"checkapi: {classes} classes and {functions} functions say their header and "
          f"target, threads and exceptions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
