"""Posyandu growth monitoring: the pure computation core (no models, no database).

`who`: age in completed months, WHO z-scores (HAZ, WAZ, WHZ) by the LMS method, the
Permenkes 2/2020 status and WHO's plausibility flags, and the validation of a measurement.
`signs`: the monthly growth sign of the KMS card (N, T, B, O) and 2T.
"""
