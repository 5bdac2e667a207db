"""Paper ballots: sheet layout, printing and scanning — a library with narrow entries, no Django.

``layout`` places every element of a sheet; ``render`` draws sheets to PDF; ``read`` turns a scanned
page into a reading with confidences; ``synthetic`` fills sheets with pen-like marks for tests and
benchmarks. The web application and the ``xuanju`` command both call these.
"""
