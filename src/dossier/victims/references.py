"""Published capture tables and what was published of them, for checking the estimators.

- Kosovo 1999 (Ball et al. 2002): killings recorded by four sources, 4,400 people; Ball et al.
  estimated about 10,356 killed, and the Kosovo Memory Book later counted about 10,401.
- Madigan and York (1997), three lists, 626 people: with their hyper-Dirichlet prior (delta 1)
  and a gamma-Poisson prior on N (a = 13.14, b = 55.17), n0 in 1..300, the Bayes estimate
  (relative squared error loss) is 731 and the mode 729.
- Madigan and York (1997), five lists, 537 people, as the dga package documents it (delta 1/2,
  p(N) proportional to 1/N, n0 in 1..300): the posterior probabilities of its five likeliest
  decomposable graphs, and the Bayes estimate, mode and 95% interval of N under the likeliest.
  That documentation's table of estimates added the unrecorded to 626 people (the three-list
  table's count) instead of 537, so its figures of N are 89 higher than the five-list table's.

Each table has the first list varying fastest in its cells, as the sources print them.
"""

from __future__ import annotations

from dossier.victims.capture import CaptureTable

KOSOVO = CaptureTable(("EXH", "ABA", "OSCE", "HRW"), {
    (1, 0, 0, 0): 1131, (0, 1, 0, 0): 845, (0, 0, 1, 0): 936, (0, 0, 0, 1): 306,
    (1, 1, 0, 0): 177, (1, 0, 1, 0): 228, (1, 0, 0, 1): 106, (0, 1, 1, 0): 217,
    (0, 1, 0, 1): 31, (0, 0, 1, 1): 123, (1, 1, 1, 0): 181, (1, 1, 0, 1): 18,
    (1, 0, 1, 1): 42, (0, 1, 1, 1): 32, (1, 1, 1, 1): 27})
KOSOVO_COUNTED = 10_401

MADIGAN_YORK = CaptureTable.from_vector(("A", "B", "C"), [0, 60, 49, 4, 247, 112, 142, 12])
MADIGAN_YORK_BAYES, MADIGAN_YORK_MODE = 731, 729

MADIGAN_YORK_FIVE = CaptureTable.from_vector(("A", "B", "C", "D", "E"), [
    0, 27, 37, 19, 4, 4, 1, 1, 97, 22, 37, 25, 2, 1, 3, 5,
    83, 36, 34, 18, 3, 5, 0, 2, 30, 5, 23, 8, 0, 3, 0, 2])
MADIGAN_YORK_FIVE_DELTA = 0.5
MADIGAN_YORK_FIVE_GRAPHS = (0.21707345, 0.16029369, 0.08226562, 0.06535887, 0.05193514)
"""Posterior probabilities of the five likeliest graphs, likeliest first."""
MADIGAN_YORK_FIVE_TOP = {"bayes": 716, "mode": 713, "interval": (687, 752)}
"""N under the likeliest graph, as published: 89 too high (see the module docstring)."""
MADIGAN_YORK_FIVE_OFFSET = 626 - 537
