"""xuanju: election work of grassroots Party organizations (党的基层组织选举工作)."""

__version__ = "0.1.0"
