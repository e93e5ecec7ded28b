"""The one prefix of every key the hotline writes, so that a shared Redis can tell them apart."""

PREFIX = "hotline"
