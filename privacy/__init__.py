"""Spotting and scrubbing identifying details (names, dates of birth, NHS numbers, addresses, phones)."""
