"""A webhook receiver for trying the desk's webhooks locally: prints each event it verifies.

    python examples/webhook_receiver.py 9999 <the subscription's secret>

It answers 204 to a delivery whose X-Desk-Signature checks out and 400 to
anything else (the desk then retries it). Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE_SECONDS = 300


def verify_desk_webhook(body: bytes, header: str, secret: str) -> bool:
    """Return True for a body the desk signed with ``secret`` less than five minutes ago."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
        signature = fields["v1"]
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
        return False
    signed = str(timestamp).encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def handler_for(secret: str) -> type[BaseHTTPRequestHandler]:
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not verify_desk_webhook(body, self.headers.get("X-Desk-Signature", ""), secret):
                print("refused: bad or missing signature", flush=True)
                self.send_response(400)
                self.end_headers()
                return
            event = json.loads(body)
            print(f"{event['type']} {event['id']}", json.dumps(event["data"])[:200], flush=True)
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per event above is enough

    return Receiver


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    port, secret = int(sys.argv[1]), sys.argv[2]
    print(f"listening on http://127.0.0.1:{port}/", flush=True)
    HTTPServer(("127.0.0.1", port), handler_for(secret)).serve_forever()
