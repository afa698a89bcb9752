// Confidence reinforcement from feedback signals (docs/LEARNING.md,
// "Feedback and reinforcement"). Each signal moves a confidence c in [0, 1]
// by a documented fraction of the distance to its bound:
//
//   positive signal (helped, accepted, tests_passed): c' = c + rate * (1 - c)
//   negative signal (hindered, rejected, harmful):    c' = c - rate * c
//   no_effect:                                        c' = c - rate * c
//
// so confidence never leaves [0, 1], approaches the bound geometrically and
// strong signals (harmful) move it most. Every result names the rule it
// applied, for the feedback event and the lesson's history.
//
// Thread safety: pure functions.
#pragma once

#include <string>

#include "engram/feedback.h"

namespace engram::learn {

struct ReinforcementOptions {
  // Fractions of the distance to 1 (positive) or to 0 (negative).
  double helped = 0.10;
  double accepted = 0.10;
  double tests_passed = 0.15;
  double no_effect = 0.02;
  double hindered = 0.15;
  double rejected = 0.20;
  double harmful = 0.40;
};

struct Reinforcement {
  double before = 0;
  double after = 0;
  // "helped: c + 0.10 * (1 - c)"
  std::string rule;
};

// +1 for helped/accepted/tests_passed, -1 for the others.
int Direction(FeedbackSignal signal);
// The rate `options` assigns to `signal`, clamped to [0, 1].
double Rate(FeedbackSignal signal, const ReinforcementOptions& options);
// Whether the signal means the target was applied (so it was used):
// helped, no_effect, hindered, tests_passed, harmful. accepted and rejected
// are review verdicts, not uses.
bool CountsAsUse(FeedbackSignal signal);

// Applies `signal` to `confidence` (clamped to [0, 1] first; NaN reads as 0).
Reinforcement Reinforce(double confidence, FeedbackSignal signal,
                        const ReinforcementOptions& options = {});

}  // namespace engram::learn
