#!/usr/bin/env python
from maillage.cli import main

if __name__ == "__main__":
    main()
