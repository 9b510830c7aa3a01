"""Speed measured as ratios against the plain alternative (``make bench``)."""
