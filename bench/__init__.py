"""Benchmarks.  Their figures go into issue notes; nothing here is a timed test."""
