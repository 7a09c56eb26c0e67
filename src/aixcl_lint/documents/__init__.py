"""Document models: the only layer that knows parsers. Bytes in, typed data and spans out."""
