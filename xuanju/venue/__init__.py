"""The offline venue kit: a meeting run on a laptop without a network, from a package the central
system signed, and brought back as a signed results package the central system re-tallies and merges.

- :mod:`xuanju.venue.signing`: Ed25519 keys (the county's, the venue's), fingerprints, signed files;
- :mod:`xuanju.venue.package`: the meeting package the central system exports (``xuanju venue
  export-meeting``) and the comparison of a package with the election as it stands now;
- :mod:`xuanju.venue.install`: venue mode — the package checked and installed into an empty database;
- :mod:`xuanju.venue.netguard`: the process refuses every socket connection that is not loopback;
- :mod:`xuanju.venue.usb`: automatic backups to the USB stick while the meeting runs;
- :mod:`xuanju.venue.results`: the results package (``xuanju venue export``);
- :mod:`xuanju.venue.merge`: the central import (``xuanju venue import``);
- :mod:`xuanju.venue.commands`: the ``xuanju keys`` and ``xuanju venue`` commands.

docs/venue.md is the organizers' guide.
"""
