"""The domain core: plain typed objects and pure functions, no I/O."""
