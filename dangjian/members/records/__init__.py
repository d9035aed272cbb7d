"""Records that hang off a member: mobility, lost contact and standing, transfers, households, dues."""
