"""A webhook receiver for bench/run.sh's features phase: answers every POST 204 over HTTP/1.1
keep-alive and counts them (printed on exit). usage: webhook_ok.py PORT"""

import http.server
import signal
import sys
import threading

received = 0
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global received
        self.rfile.read(int(self.headers.get("content-length", 0)))
        with lock:
            received += 1
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    print(f"received {received}", file=sys.stderr)


if __name__ == "__main__":
    main()
