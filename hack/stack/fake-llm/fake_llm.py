#!/usr/bin/env python3
"""A fake OpenAI-compatible model server: the outside world of the local stack's tests. Python standard library only.

  GET  /v1/models             the models named by --models (default: fake-model)
  POST /v1/chat/completions   an answer, plain or streamed (stream: true, as server-sent events)
  GET  /_requests             every request seen so far, as JSON (for tests); DELETE /_requests forgets them
  GET  /healthz               ok

What it answers to the last message of a chat:
  - a user message with a line "exec: <command>" (after a "[...]" envelope too), when the request offers a tool named exec: a call to exec with
    {"command": "<command>"} (finish_reason "tool_calls");
  - a tool result: "tool said: <the result, shortened>";
  - anything else: "fake answer to: <the message, shortened>".

Each request is logged to stdout as one JSON line (method, path, client, Host, proxy headers, model, the last
message shortened, the tool names offered; the Authorization header only as present or absent). A request whose
target is an absolute URL (what a client sends to an HTTP proxy) is served by the URL's path and logged with
"absoluteForm": true and the URL's host: pointed at as HTTP_PROXY, the server shows that a client honours it. With --tls-cert and
--tls-key it also serves HTTPS on --tls-port, so a test can send it through an HTTPS CONNECT proxy.
"""
import argparse
import json
import re
import ssl
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# "exec: <command>" at the start of a line or after a bracketed envelope such as "[Mon 10:00 UTC] exec: ls".
EXEC_LINE = re.compile(r"(?:^|[\s\]])exec:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)
SEEN = []
SEEN_LOCK = threading.Lock()
MAX_SEEN = 1000


def shorten(text, limit=200):
    text = text if isinstance(text, str) else json.dumps(text)
    return text if len(text) <= limit else text[:limit] + "..."


def text_of(content):
    """A message's text: a string, or the text parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") in ("text", "input_text"))
    return ""


def tool_names(body):
    names = []
    for tool in body.get("tools") or []:
        fn = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(fn, dict) and fn.get("name"):
            names.append(fn["name"])
    return names


def decide(body):
    """What to answer: ("tool_call", arguments) or ("text", content)."""
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    role = last.get("role")
    text = text_of(last.get("content"))
    if role == "tool":
        return "text", "tool said: " + shorten(text, 500)
    wanted = EXEC_LINE.search(text) if role == "user" else None
    if wanted and "exec" in tool_names(body):
        return "tool_call", {"command": wanted.group(1)}
    if wanted:
        return "text", "no exec tool was offered, so I cannot run: " + wanted.group(1)
    return "text", "fake answer to: " + shorten(text)


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-llm/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # the JSON line in record() replaces the default access log
        pass

    def target(self):
        """The path asked for, and the host an absolute-form target (a proxy request) names, else None."""
        if self.path.startswith(("http://", "https://")):
            url = urlsplit(self.path)
            return url.path or "/", url.netloc
        return self.path.split("?", 1)[0], None

    def record(self, body=None, status=200):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "listener": self.server.name,
            "method": self.command,
            "path": self.target()[0],
            "absoluteForm": self.target()[1] is not None,
            "urlHost": self.target()[1],
            "status": status,
            "client": self.client_address[0],
            "host": self.headers.get("Host"),
            "userAgent": self.headers.get("User-Agent"),
            "authorization": "present" if self.headers.get("Authorization") else "absent",
            "via": self.headers.get("Via"),
            "forwardedFor": self.headers.get("X-Forwarded-For"),
        }
        if isinstance(body, dict):
            messages = body.get("messages") or []
            last = messages[-1] if messages else {}
            entry.update({
                "model": body.get("model"),
                "stream": bool(body.get("stream")),
                "messages": len(messages),
                "lastRole": last.get("role"),
                "lastMessage": shorten(text_of(last.get("content"))),
                "tools": tool_names(body),
            })
        with SEEN_LOCK:
            SEEN.append(entry)
            del SEEN[:-MAX_SEEN]
        print(json.dumps(entry), flush=True)

    def send_json(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return None

    def do_GET(self):
        path = self.target()[0]
        if path == "/healthz":
            self.send_json(200, {"status": "ok"})
            return
        if path == "/_requests":
            with SEEN_LOCK:
                self.send_json(200, list(SEEN))
            return
        if path in ("/v1/models", "/models"):
            self.record()
            now = int(time.time())
            self.send_json(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": now, "owned_by": "fake-llm"} for m in self.server.models]})
            return
        self.record(status=404)
        self.send_json(404, {"error": {"message": "no such path: " + path, "type": "invalid_request_error"}})

    def do_DELETE(self):
        if self.target()[0] == "/_requests":
            with SEEN_LOCK:
                SEEN.clear()
            self.send_json(200, {"cleared": True})
            return
        self.send_json(404, {"error": {"message": "no such path", "type": "invalid_request_error"}})

    def do_POST(self):
        path = self.target()[0]
        body = self.read_body()
        if path not in ("/v1/chat/completions", "/chat/completions"):
            self.record(body, status=404)
            self.send_json(404, {"error": {"message": "no such path: " + path, "type": "invalid_request_error"}})
            return
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self.record(status=400)
            self.send_json(400, {"error": {"message": "a JSON body with messages[] is required", "type": "invalid_request_error"}})
            return
        self.record(body)
        kind, value = decide(body)
        model = body.get("model") or self.server.models[0]
        completion_id = "chatcmpl-" + uuid.uuid4().hex[:24]
        if kind == "tool_call":
            call = {"id": "call_" + uuid.uuid4().hex[:24], "type": "function",
                    "function": {"name": "exec", "arguments": json.dumps(value)}}
            message, finish = {"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"
        else:
            message, finish = {"role": "assistant", "content": value}, "stop"
        usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
        if body.get("stream"):
            self.stream(completion_id, model, message, finish, usage, body)
            return
        self.send_json(200, {"id": completion_id, "object": "chat.completion", "created": int(time.time()), "model": model,
                             "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage})

    def stream(self, completion_id, model, message, finish, usage, body):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        created = int(time.time())

        def chunk(delta, finish_reason=None, extra=None):
            payload = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                       "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}
            if extra:
                payload.update(extra)
            self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
            self.wfile.flush()

        chunk({"role": "assistant", "content": ""})
        if message.get("tool_calls"):
            call = message["tool_calls"][0]
            chunk({"tool_calls": [{"index": 0, "id": call["id"], "type": "function",
                                   "function": {"name": call["function"]["name"], "arguments": ""}}]})
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": call["function"]["arguments"]}}]})
        else:
            words = message["content"].split(" ")
            for i, word in enumerate(words):
                chunk({"content": word if i == 0 else " " + word})
        chunk({}, finish)
        if (body.get("stream_options") or {}).get("include_usage"):
            payload = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                       "choices": [], "usage": usage}
            self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def serve(name, port, models, tls=None):
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    server.daemon_threads = True
    server.name, server.models = name, models
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(json.dumps({"event": "listening", "listener": name, "port": port, "models": models}), flush=True)
    return server


def main():
    parser = argparse.ArgumentParser(description="A fake OpenAI-compatible model server.")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--models", default="fake-model", help="comma-separated model ids")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--tls-port", type=int, default=8443)
    args = parser.parse_args()
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    servers = [serve("http", args.port, models)]
    if args.tls_cert or args.tls_key:
        if not (args.tls_cert and args.tls_key):
            parser.error("--tls-cert and --tls-key go together")
        servers.append(serve("https", args.tls_port, models, (args.tls_cert, args.tls_key)))
    for extra in servers[1:]:
        threading.Thread(target=extra.serve_forever, daemon=True).start()
    try:
        servers[0].serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main()
