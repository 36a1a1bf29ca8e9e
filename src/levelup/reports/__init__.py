"""Reports: weekly update, 1:1 agenda, self-review, promotion packet and brag document."""
