"""What happens on the day when a QR code is scanned.

At the door organisers scan tickets at ``/admin/checkin`` (a USB scanner, a phone camera or a name
search); at the stands attendees scan poster codes (``/stands/<slug>?from=poster``), which count
an anonymous visit and, for those who switched it on, stamp their stand passport.
"""
