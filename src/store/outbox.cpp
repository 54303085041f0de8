#include "store/outbox.hpp"

namespace usersctl::store {

void Outbox::insert_events(const std::vector<model::StoredEvent>& events) {
  for (const auto& event : events) insert_event(event);
}

}  // namespace usersctl::store
