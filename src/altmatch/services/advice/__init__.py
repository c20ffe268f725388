"""The path advisor: the profile form, advice over the three paths, the JET chance estimate
and saved comparisons. It reads the other contexts' public figures (postings, support metrics)."""
