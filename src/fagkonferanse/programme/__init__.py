"""The timed programme of the day and its speakers."""
