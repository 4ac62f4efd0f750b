"""The organisers' dashboard and the frame every organiser page shares."""
