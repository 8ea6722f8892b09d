"""Bare Django: one view returning a small JSON, no middleware, no database. The yardstick that the
application's HTTP figures are divided by, so that the ratio holds on any machine."""
