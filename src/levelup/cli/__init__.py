"""Thin command-line adapters: parse arguments, call one service function, format the result."""
