"""Readers of on-call tools' exports (PagerDuty, Opsgenie, any mapped CSV) into incidents."""
