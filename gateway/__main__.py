from __future__ import annotations

from gateway.cli import main

# Guarded: several workers are spawned processes, which import this module again.
if __name__ == "__main__":
    main()
