"""`lawie serve`: the extractor as an HTTP service (FastAPI + uvicorn).

    POST /extract   {"text": "...", "date": "2025-01-01"?, "id": "..."?}  -> one document
                    [{"text": ...}, ...]                                 -> a list of documents
    GET  /health    {"status": "ok", "model": ..., "guideline_version": ...}

The documents are the spec's JSON (labels/output.schema.json), as `lawie predict` writes them. The
model is loaded once when the server starts. Requests are handled on a thread pool and the model
runs under a lock, one request at a time, so concurrent requests are safe (and each is answered in
full). A body over `max_bytes`, or a list of more than `max_docs` texts, is refused with 413 and a
JSON error; malformed JSON or a missing text with 422; every error body is {"error": "..."}.
"""

import json
import re
import threading

DEFAULT_MAX_BYTES = 1_000_000
DEFAULT_MAX_DOCS = 64
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class RequestError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def parse_request(body: bytes, max_docs: int = DEFAULT_MAX_DOCS) -> tuple[list[dict], bool]:
    """The documents of a request body and whether it was a list. Raises RequestError."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise RequestError(422, "request body is not UTF-8") from None
    except json.JSONDecodeError as e:
        raise RequestError(422, f"request body is not JSON ({e.msg} at line {e.lineno} column "
                           f"{e.colno})") from None
    many = isinstance(data, list)
    items = data if many else [data]
    if many and not items:
        raise RequestError(422, "empty list: send {\"text\": ...} or a list of them")
    if len(items) > max_docs:
        raise RequestError(413, f"{len(items)} documents in one request; at most {max_docs}")
    from lawie.infer.tables import iso_bounds
    docs = []
    for n, it in enumerate(items, 1):
        where = f"item {n}: " if many else ""
        if not isinstance(it, dict) or not isinstance(it.get("text"), str):
            raise RequestError(422, f"{where}expected an object with a string 'text'")
        date = it.get("date")
        if date is not None and not (isinstance(date, str) and _ISO_DATE.match(date)
                                     and iso_bounds(date)[0] is not None):
            raise RequestError(422, f"{where}date {date!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
        ident = it.get("id", f"doc-{n}")
        if not isinstance(ident, (str, int)) or isinstance(ident, bool):
            raise RequestError(422, f"{where}id must be a string")
        meta = {"date": date} if date else {}
        if date is None:
            from lawie.infer.anchor import header_date
            hd = header_date(it["text"])
            if hd:
                meta = {"date": hd}
        docs.append({"id": str(ident), "text": it["text"], "meta": meta})
    return docs, many


def create_app(extractor, max_bytes: int = DEFAULT_MAX_BYTES, max_docs: int = DEFAULT_MAX_DOCS,
               batch_size: int = 8):
    """The FastAPI application over a loaded Extractor."""
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse
    from starlette.concurrency import run_in_threadpool

    from lawie import __version__
    from lawie.infer.api import LawieError
    from lawie.labels.schema import ENTITY_TYPES, RELATION_TYPES
    try:
        from lawie.labels.schema import GUIDELINE_VERSION
    except ImportError:
        GUIDELINE_VERSION = 1

    app = FastAPI(title="lawie", version=__version__, docs_url=None, redoc_url=None)
    lock = threading.Lock()

    def error(status: int, message: str):
        return JSONResponse({"error": message}, status_code=status)

    def run(docs):
        with lock:
            return list(extractor.extract_docs(docs, batch_size=batch_size))

    @app.get("/health")
    def health():
        return {"status": "ok", "version": __version__, "model": extractor.model_dir.name,
                "guideline_version": GUIDELINE_VERSION, "entity_types": list(ENTITY_TYPES),
                "relation_types": list(RELATION_TYPES), "max_bytes": max_bytes,
                "max_docs": max_docs}

    @app.post("/extract")
    async def extract(request: Request):
        declared = request.headers.get("content-length")
        if declared is not None:
            try:
                if int(declared) > max_bytes:
                    return error(413, f"request body of {declared} bytes; at most {max_bytes}")
            except ValueError:
                return error(400, "invalid Content-Length")
        body = bytearray()
        async for piece in request.stream():         # chunked bodies are counted as they come
            body += piece
            if len(body) > max_bytes:
                return error(413, f"request body over {max_bytes} bytes")
        try:
            docs, many = parse_request(bytes(body), max_docs=max_docs)
        except RequestError as e:
            return error(e.status, str(e))
        try:
            out = await run_in_threadpool(run, docs)
        except LawieError as e:
            return error(422, str(e))
        return JSONResponse(out if many else out[0])

    @app.exception_handler(404)
    async def not_found(request, exc):
        return error(404, f"no such endpoint: {request.method} {request.url.path} "
                     "(POST /extract, GET /health)")

    @app.exception_handler(405)
    async def not_allowed(request, exc):
        return error(405, f"{request.method} is not allowed on {request.url.path}")

    return app


def serve(extractor, host: str = "127.0.0.1", port: int = 8000, max_bytes: int = DEFAULT_MAX_BYTES,
          max_docs: int = DEFAULT_MAX_DOCS, log_level: str = "info") -> None:
    import uvicorn
    app = create_app(extractor, max_bytes=max_bytes, max_docs=max_docs)
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=log_level == "debug")
