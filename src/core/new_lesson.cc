#include "core/new_lesson.h"

namespace engram {

Lesson LessonFrom(const NewLesson& n) {
  Lesson l;
  l.id = n.id;
  l.type = n.type;
  l.topic = n.topic;
  l.title = n.title;
  l.content = n.content;
  l.confidence = n.confidence;
  l.scope = n.scope;
  l.project = n.project;
  l.source = n.source;
  l.tags = n.tags;
  l.situations = n.situations;
  l.metadata = n.metadata;
  return l;
}

}  // namespace engram
