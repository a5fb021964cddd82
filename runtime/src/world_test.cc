#include "src/world.h"

#include <gtest/gtest.h>

namespace ws {
namespace {

struct Position {
  float x = 0;
};
struct Tag {};

TEST(WorldTest, GenerationalIds) {
  World w;
  Entity a = w.Create();
  EXPECT_TRUE(w.Alive(a));
  w.Destroy(a);
  EXPECT_FALSE(w.Alive(a));
  Entity b = w.Create();  // reuses the index with a new version
  EXPECT_EQ(EntityIndex(a), EntityIndex(b));
  EXPECT_NE(a, b);
  EXPECT_FALSE(w.Alive(a));
  EXPECT_TRUE(w.Alive(b));
  EXPECT_NE(b, kNoEntity);
}

TEST(WorldTest, ComponentsAddGetRemove) {
  World w;
  Entity e = w.Create();
  w.Add<Position>(e, {3});
  ASSERT_NE(w.Get<Position>(e), nullptr);
  EXPECT_EQ(w.Get<Position>(e)->x, 3);
  w.Remove<Position>(e);
  EXPECT_EQ(w.Get<Position>(e), nullptr);
  w.Add<Position>(e, {4});
  w.Destroy(e);
  Entity f = w.Create();
  EXPECT_EQ(w.Get<Position>(f), nullptr);  // components do not survive their entity
}

TEST(WorldTest, EachVisitsEntitiesWithAllComponents) {
  World w;
  std::vector<Entity> tagged;
  for (int i = 0; i < 100; ++i) {
    Entity e = w.Create();
    w.Add<Position>(e, {static_cast<float>(i)});
    if (i % 10 == 0) {
      w.Add<Tag>(e);
      tagged.push_back(e);
    }
  }
  std::vector<Entity> seen;
  float sum = 0;
  w.Each<Position, Tag>([&](Entity e, Position& p, Tag&) {
    seen.push_back(e);
    sum += p.x;
  });
  EXPECT_EQ(seen, tagged);  // the smaller Tag pool was walked, in its order
  EXPECT_EQ(sum, 450);
}

TEST(WorldTest, DirtyListsHoldEachEntityOnce) {
  World w;
  Entity a = w.Create(), b = w.Create();
  w.Add<Position>(a);
  w.Add<Position>(b);
  w.MarkDirty<Position>(a);
  w.MarkDirty<Position>(a);
  w.MarkDirty<Position>(b);
  EXPECT_EQ(w.TakeDirty<Position>(), (std::vector<Entity>{a, b}));
  EXPECT_TRUE(w.TakeDirty<Position>().empty());
  w.MarkDirty<Position>(a);
  w.Destroy(a);  // destroyed entities leave the dirty list
  EXPECT_TRUE(w.TakeDirty<Position>().empty());
}

}  // namespace
}  // namespace ws
