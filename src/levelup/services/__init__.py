"""Use cases that combine the domain core and the store; the CLI and web call these."""
