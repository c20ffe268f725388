"""Files in and out: profiles today; CSV and XLSX imports and exports as the platform grows."""
