"""Channel renderers: engine actions in, TwiML out. No I/O, no state."""
