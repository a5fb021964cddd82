// The entity-component store behind the UI: generational 32-bit entity ids
// (low 20 bits index, high 12 bits version), one sparse-set pool per
// component type, views that iterate the smallest pool of a set, and dirty
// lists that systems consume instead of scanning everything.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace ws {

using Entity = uint32_t;
constexpr Entity kNoEntity = 0;
constexpr uint32_t kEntityIndexBits = 20;
constexpr uint32_t kEntityIndexMask = (1u << kEntityIndexBits) - 1;

inline uint32_t EntityIndex(Entity e) { return e & kEntityIndexMask; }
inline uint32_t EntityVersion(Entity e) { return e >> kEntityIndexBits; }

namespace ecs {

inline uint32_t NextTypeId() {
  static uint32_t next = 0;
  return next++;
}
// A dense id per component type, without RTTI.
template <typename T>
uint32_t TypeId() {
  static const uint32_t id = NextTypeId();
  return id;
}

class PoolBase {
 public:
  virtual ~PoolBase() = default;
  virtual void Remove(Entity e) = 0;
  virtual size_t size() const = 0;
};

template <typename T>
class Pool final : public PoolBase {
 public:
  // Always inlined, even under -Oz: an out-of-line call costs more
  // instructions than the lookup itself, and lookups dominate every frame.
  [[gnu::always_inline]] bool Has(Entity e) const {
    uint32_t i = EntityIndex(e);
    return i < sparse_.size() && sparse_[i] != 0 && dense_[sparse_[i] - 1] == e;
  }
  [[gnu::always_inline]] T* Get(Entity e) { return Has(e) ? &data_[sparse_[EntityIndex(e)] - 1] : nullptr; }
  T& Add(Entity e, T value) {
    if (T* existing = Get(e)) {
      *existing = std::move(value);
      return *existing;
    }
    uint32_t i = EntityIndex(e);
    if (i >= sparse_.size()) sparse_.resize(i + 1, 0);
    dense_.push_back(e);
    data_.push_back(std::move(value));
    sparse_[i] = static_cast<uint32_t>(dense_.size());
    return data_.back();
  }
  void Remove(Entity e) override {
    if (!Has(e)) return;
    uint32_t slot = sparse_[EntityIndex(e)] - 1;
    uint32_t last = static_cast<uint32_t>(dense_.size() - 1);
    if (slot != last) {
      dense_[slot] = dense_[last];
      data_[slot] = std::move(data_[last]);
      sparse_[EntityIndex(dense_[slot])] = slot + 1;
    }
    dense_.pop_back();
    data_.pop_back();
    sparse_[EntityIndex(e)] = 0;
    ClearDirty(e);
  }
  size_t size() const override { return dense_.size(); }
  const std::vector<Entity>& entities() const { return dense_; }

  // Dirty tracking: each entity at most once in the list until taken.
  void MarkDirty(Entity e) {
    uint32_t i = EntityIndex(e);
    if (i >= dirty_flag_.size()) dirty_flag_.resize(i + 1, 0);
    if (dirty_flag_[i]) return;
    dirty_flag_[i] = 1;
    dirty_.push_back(e);
  }
  std::vector<Entity> TakeDirty() {
    for (Entity e : dirty_) dirty_flag_[EntityIndex(e)] = 0;
    return std::exchange(dirty_, {});
  }
  bool AnyDirty() const { return !dirty_.empty(); }

 private:
  void ClearDirty(Entity e) {
    uint32_t i = EntityIndex(e);
    if (i < dirty_flag_.size() && dirty_flag_[i]) {
      dirty_flag_[i] = 0;
      std::erase(dirty_, e);
    }
  }
  std::vector<uint32_t> sparse_;  // entity index → position in dense_ + 1
  std::vector<Entity> dense_;
  std::vector<T> data_;
  std::vector<uint8_t> dirty_flag_;
  std::vector<Entity> dirty_;
};

}  // namespace ecs

class World {
 public:
  Entity Create();
  // Removes every component; the id's version moves on so stale copies fail Alive().
  void Destroy(Entity e);
  bool Alive(Entity e) const;
  size_t alive_count() const { return alive_; }

  template <typename T>
  ecs::Pool<T>& PoolOf() {
    uint32_t id = ecs::TypeId<T>();
    if (id < pools_.size() && pools_[id]) [[likely]] {
      return static_cast<ecs::Pool<T>&>(*pools_[id]);
    }
    return NewPool<T>(id);
  }
  template <typename T>
  T& Add(Entity e, T value = T{}) {
    return PoolOf<T>().Add(e, std::move(value));
  }
  template <typename T>
  T* Get(Entity e) {
    return PoolOf<T>().Get(e);
  }
  template <typename T>
  bool Has(Entity e) {
    return PoolOf<T>().Has(e);
  }
  template <typename T>
  void Remove(Entity e) {
    PoolOf<T>().Remove(e);
  }
  template <typename T>
  void MarkDirty(Entity e) {
    PoolOf<T>().MarkDirty(e);
  }
  template <typename T>
  std::vector<Entity> TakeDirty() {
    return PoolOf<T>().TakeDirty();
  }

  // Calls f(entity, A&, B&...) for every entity that has all the components,
  // walking the smallest of the pools.
  template <typename First, typename... Rest, typename F>
  void Each(F&& f) {
    const std::vector<Entity>* smallest = &PoolOf<First>().entities();
    ((PoolOf<Rest>().size() < smallest->size() ? smallest = &PoolOf<Rest>().entities() : smallest), ...);
    std::vector<Entity> snapshot = *smallest;  // f may add or remove components
    for (Entity e : snapshot) {
      First* first = Get<First>(e);
      if (first == nullptr) continue;
      if constexpr (sizeof...(Rest) == 0) {
        f(e, *first);
      } else {
        if (((Get<Rest>(e) == nullptr) || ...)) continue;
        f(e, *first, *Get<Rest>(e)...);
      }
    }
  }

 private:
  template <typename T>
  [[gnu::noinline]] ecs::Pool<T>& NewPool(uint32_t id) {
    if (id >= pools_.size()) pools_.resize(id + 1);
    if (!pools_[id]) pools_[id] = std::make_unique<ecs::Pool<T>>();
    return static_cast<ecs::Pool<T>&>(*pools_[id]);
  }

  std::vector<uint32_t> versions_{0};  // index 0 is never used: kNoEntity
  std::vector<uint32_t> free_;
  std::vector<std::unique_ptr<ecs::PoolBase>> pools_;
  size_t alive_ = 0;
};

}  // namespace ws
