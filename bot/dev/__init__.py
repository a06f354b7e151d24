"""For development only, never imported by production code: the demo (`otagai demo`) and the LINE stand-in."""
