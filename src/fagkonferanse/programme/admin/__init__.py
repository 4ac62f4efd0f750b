"""The organisers' side of the programme: the day's items and the speakers.

Views stay thin; the scheduling rules live in :mod:`fagkonferanse.programme.rules` and the
writes (with their audit entries) in :mod:`.editing` and :mod:`.speaker_editing`.
"""
