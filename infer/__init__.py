"""Text in, JSON out: clean (offset map) -> encode -> spans -> relations -> normalize -> JSON."""
