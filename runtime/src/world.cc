#include "src/world.h"

namespace ws {

Entity World::Create() {
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    index = static_cast<uint32_t>(versions_.size());
    versions_.push_back(1);
  }
  ++alive_;
  return (versions_[index] << kEntityIndexBits) | index;
}

void World::Destroy(Entity e) {
  if (!Alive(e)) return;
  for (auto& pool : pools_) {
    if (pool) pool->Remove(e);
  }
  uint32_t index = EntityIndex(e);
  // 12 version bits; skip 0 so that no live id equals kNoEntity.
  uint32_t next = (versions_[index] + 1) & ((1u << (32 - kEntityIndexBits)) - 1);
  versions_[index] = next == 0 ? 1 : next;
  free_.push_back(index);
  --alive_;
}

bool World::Alive(Entity e) const {
  uint32_t index = EntityIndex(e);
  return e != kNoEntity && index < versions_.size() && versions_[index] == EntityVersion(e);
}

}  // namespace ws
