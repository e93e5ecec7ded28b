"""The pure core: flow model, loader and engine. Imports no Flask, Redis or Twilio."""
