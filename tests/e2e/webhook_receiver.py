#!/usr/bin/env python3
"""A webhook receiver for usersctl's end-to-end tests (python3 standard library only).

It listens on 127.0.0.1 (an OS-chosen port unless --port is given), writes the port to --port-file
once it listens, and appends one JSON line per request to --log:

    {"method", "path", "headers": {lower-cased names}, "body", "signature_ok": true|false|null,
     "status": the status it answered, "time": unix seconds (float)}

With --secret whsec_... it verifies Standard Webhooks signatures on its own (its own HMAC code, not
usersctl's): HMAC-SHA256 over "id.timestamp.body" with the base64-decoded key, compared in constant
time; a missing or bad signature, or a timestamp more than 5 minutes off, is answered 401.
Without a secret, signature_ok is null and nothing is checked.

Behaviour by path (after the signature check):
    /ok                   204
    /status/N             N
    /retry-after/N/SECS   N with "Retry-After: SECS"
    /slow/SECS            sleeps SECS, then 200
    /flaky/K              the first K requests to this path get 500, the later ones 200
    /gone/K               the first K requests to this path get 410, the later ones 204
    /redirect             302 to /ok
    anything else         404

--verify ID TIMESTAMP SIGNATURE (with --secret, and optionally --now SECONDS) checks one message
whose body is on stdin with the same code, prints "valid" or "invalid" and exits 0 or 1; this is
how the tests hold the verifier against a fixed vector.

It exits on SIGTERM or SIGINT, and by itself after --max-seconds (default 300), so that a test that
dies never leaves it running.
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import os
import signal
import sys
import threading
import time

TOLERANCE_SECONDS = 5 * 60
SECRET_PREFIX = "whsec_"


def decode_secret(secret):
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("the secret must start with whsec_")
    return base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)


def verify_signature(key, headers, body, now=None):
    """True when the Standard Webhooks headers carry a valid v1 signature for body (bytes)."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signature_header = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signature_header:
        return False
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - ts) > TOLERANCE_SECONDS:
        return False
    signed = msg_id.encode("utf-8") + b"." + timestamp.encode("ascii") + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    ok = False
    # The header may carry several space-separated signatures ("v1,abc v1,def"); one match is enough.
    for candidate in signature_header.split(" "):
        version, _, value = candidate.partition(",")
        if version != "v1" or not value:
            continue
        # Compare every candidate (no early exit) in constant time.
        if hmac.compare_digest(expected, value.encode("ascii", errors="replace")):
            ok = True
    return ok


class Receiver:
    def __init__(self, log_path, key):
        self.log_path = log_path
        self.key = key
        self.lock = threading.Lock()
        self.flaky_counts = {}

    def log(self, record):
        line = json.dumps(record, sort_keys=True) + "\n"
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(line)
                log.flush()

    def next_flaky_count(self, path):
        with self.lock:
            count = self.flaky_counts.get(path, 0) + 1
            self.flaky_counts[path] = count
            return count


def make_handler(receiver):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "usersctl-test-receiver/1"

        def log_message(self, format, *args):  # noqa: A002 (quiet: the JSON log is the record)
            pass

        def do_GET(self):
            self.handle_request()

        def do_POST(self):
            self.handle_request()

        def do_PUT(self):
            self.handle_request()

        def handle_request(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            headers = {name.lower(): value for name, value in self.headers.items()}

            signature_ok = None
            if receiver.key is not None:
                signature_ok = verify_signature(receiver.key, headers, body)

            status, extra_headers, delay = self.decide(signature_ok)
            receiver.log({
                "method": self.command,
                "path": self.path,
                "headers": headers,
                "body": body.decode("utf-8", errors="replace"),
                "signature_ok": signature_ok,
                "status": status,
                "time": time.time(),
            })
            if delay > 0:
                time.sleep(delay)
            try:
                self.send_response(status)
                for name, value in extra_headers:
                    self.send_header(name, value)
                if status not in (204, 304):
                    self.send_header("Content-Length", "0")
                self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (e.g. a slow answer past its timeout)

        def decide(self, signature_ok):
            """Returns (status, [(header, value)], seconds to wait before answering)."""
            if signature_ok is False:
                return 401, [], 0
            parts = [p for p in self.path.split("?")[0].split("/") if p]
            try:
                if parts == ["ok"]:
                    return 204, [], 0
                if len(parts) == 2 and parts[0] == "status":
                    return int(parts[1]), [], 0
                if len(parts) == 3 and parts[0] == "retry-after":
                    return int(parts[1]), [("Retry-After", parts[2])], 0
                if len(parts) == 2 and parts[0] == "slow":
                    return 200, [], float(parts[1])
                if len(parts) == 2 and parts[0] == "flaky":
                    failures = int(parts[1])
                    count = receiver.next_flaky_count(self.path)
                    return (500 if count <= failures else 200), [], 0
                if len(parts) == 2 and parts[0] == "gone":
                    count = receiver.next_flaky_count(self.path)
                    return (410 if count <= int(parts[1]) else 204), [], 0
                if parts == ["redirect"]:
                    return 302, [("Location", "/ok")], 0
            except ValueError:
                return 400, [], 0
            return 404, [], 0

    return Handler


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-file", help="write the listening port here")
    parser.add_argument("--log", help="append one JSON line per request here")
    parser.add_argument("--secret", help="whsec_... secret: verify signatures, 401 on a bad one")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: OS-chosen)")
    parser.add_argument("--max-seconds", type=float, default=300, help="exit after this long")
    parser.add_argument("--verify", nargs=3, metavar=("ID", "TIMESTAMP", "SIGNATURE"),
                        help="check one message (body on stdin) instead of serving")
    parser.add_argument("--now", type=float, help="with --verify: the current unix time to assume")
    args = parser.parse_args()

    key = decode_secret(args.secret) if args.secret else None
    if args.verify:
        if key is None:
            parser.error("--verify needs --secret")
        msg_id, timestamp, signature = args.verify
        headers = {"webhook-id": msg_id, "webhook-timestamp": timestamp, "webhook-signature": signature}
        ok = verify_signature(key, headers, sys.stdin.buffer.read(), now=args.now)
        print("valid" if ok else "invalid")
        return 0 if ok else 1
    if not args.port_file or not args.log:
        parser.error("--port-file and --log are required when serving")
    receiver = Receiver(args.log, key)
    open(args.log, "a", encoding="utf-8").close()

    server = Server(("127.0.0.1", args.port), make_handler(receiver))

    def stop(*_):
        os._exit(0)  # the log is flushed line by line; nothing else to save

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    timer = threading.Timer(args.max_seconds, stop)
    timer.daemon = True
    timer.start()

    # Publish the port atomically: a reader never sees a half-written file.
    temporary = args.port_file + ".tmp"
    with open(temporary, "w", encoding="ascii") as port_file:
        port_file.write("%d\n" % server.server_address[1])
    os.replace(temporary, args.port_file)

    server.serve_forever(poll_interval=0.1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
