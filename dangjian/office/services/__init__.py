"""The office app's writes: one function per thing a person does (each checks permission, validates,
writes in one transaction and records an audit event)."""
