#include "learn/reinforcement.h"

#include <cstdio>

#include "learn/confidence.h"

namespace engram::learn {

int Direction(FeedbackSignal signal) {
  switch (signal) {
    case FeedbackSignal::kHelped:
    case FeedbackSignal::kAccepted:
    case FeedbackSignal::kTestsPassed:
      return 1;
    case FeedbackSignal::kNoEffect:
    case FeedbackSignal::kHindered:
    case FeedbackSignal::kRejected:
    case FeedbackSignal::kHarmful:
      return -1;
  }
  return -1;
}

double Rate(FeedbackSignal signal, const ReinforcementOptions& o) {
  double r = 0;
  switch (signal) {
    case FeedbackSignal::kHelped:
      r = o.helped;
      break;
    case FeedbackSignal::kAccepted:
      r = o.accepted;
      break;
    case FeedbackSignal::kTestsPassed:
      r = o.tests_passed;
      break;
    case FeedbackSignal::kNoEffect:
      r = o.no_effect;
      break;
    case FeedbackSignal::kHindered:
      r = o.hindered;
      break;
    case FeedbackSignal::kRejected:
      r = o.rejected;
      break;
    case FeedbackSignal::kHarmful:
      r = o.harmful;
      break;
  }
  return Clamp01(r);
}

bool CountsAsUse(FeedbackSignal signal) {
  return signal != FeedbackSignal::kAccepted && signal != FeedbackSignal::kRejected;
}

Reinforcement Reinforce(double confidence, FeedbackSignal signal,
                        const ReinforcementOptions& options) {
  Reinforcement r;
  r.before = Clamp01(confidence);
  const double rate = Rate(signal, options);
  char buf[96];
  if (Direction(signal) > 0) {
    r.after = Clamp01(r.before + rate * (1 - r.before));
    std::snprintf(buf, sizeof buf, "%s: c + %.2f * (1 - c)", ToString(signal).data(), rate);
  } else {
    r.after = Clamp01(r.before - rate * r.before);
    std::snprintf(buf, sizeof buf, "%s: c - %.2f * c", ToString(signal).data(), rate);
  }
  r.rule = buf;
  return r;
}

}  // namespace engram::learn
