"""Thin Flask blueprints: parse the request, ask the hotline, return TwiML."""
