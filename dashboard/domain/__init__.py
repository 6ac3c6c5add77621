"""The domain: pure rules without I/O. Area codes and values, classification, comparison and
significance, progress of a plan, profiles, Dutch number formatting and explanations."""
