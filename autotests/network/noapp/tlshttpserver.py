#!/usr/bin/env python3
# Copyright (c) 2026 The Crochet for Qt authors. SPDX-License-Identifier: MIT
#
# An HTTPS server we did not write, for tst_networknoapp: python's http.server
# serving a directory on 127.0.0.1 over TLS, with the certificate chain and
# key it is given. It binds a port the system picks and prints it as its
# first line of stdout, so that the test needs no guessed port.
#
# usage: tlshttpserver.py <certificate.pem> <key.pem> <directory>

import functools
import http.server
import ssl
import sys


def main():
    certificate, key, directory = sys.argv[1:4]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    # The handshake then happens in the request's own thread, so that a
    # client that never completes it cannot block accept() for the others.
    server.socket = context.wrap_socket(
        server.socket, server_side=True, do_handshake_on_connect=False
    )
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
