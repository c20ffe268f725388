"""Pure rules of the ALT world: profiles, eligibility, pay after deductions, path advice."""
