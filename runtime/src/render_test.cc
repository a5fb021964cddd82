#include <gtest/gtest.h>

#include "testing/test_app.h"

namespace ws {
namespace {

using testing::Decode;
using testing::Host;
using testing::TestApp;

TEST(RenderTest, SubmitsOnlyWhenSomethingChanged) {
  Signal<uint32_t> color;
  TestApp app([&] {
    color = signal(0xFF0000FFu);
    auto box = Box({.width = 100, .height = 50});
    Bind(box, &BoxProps::background, [&] { return Color(color()); });
  });
  app.Frame();
  ASSERT_EQ(Host().submissions.size(), 1u);
  app.Frames(5);
  EXPECT_EQ(Host().submissions.size(), 1u);  // idle frames submit nothing
  color.set(0x00FF00FFu);
  app.Frame();
  ASSERT_EQ(Host().submissions.size(), 2u);
  std::vector<testing::Command> commands = Decode(Host().submissions.back());
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].op, 1);
  EXPECT_EQ(commands[0].rgba, 0x00FF00FFu);
  EXPECT_EQ(commands[0].f[2], 100);
}

TEST(RenderTest, ListHeaderAndNesting) {
  TestApp app([&] {
    Box({.width = 200, .height = 100, .background = Color(0x112233FF), .radius = 8, .opacity = 0.5f,
         .clip = true},
        [] { Text({.text = "Hi", .size = 20, .color = Color(0xFFFFFFFF)}); });
  });
  app.Frame();
  const std::vector<uint8_t>& bytes = Host().submissions.back();
  uint32_t magic, count;
  std::memcpy(&magic, bytes.data(), 4);
  std::memcpy(&count, bytes.data() + 4, 4);
  EXPECT_EQ(magic, 0x4C445357u);
  std::vector<testing::Command> c = Decode(bytes);
  EXPECT_EQ(count, c.size());
  std::vector<uint8_t> ops;
  for (const auto& cmd : c) ops.push_back(cmd.op);
  // opacity( rect clip( text ) )
  EXPECT_EQ(ops, (std::vector<uint8_t>{6, 1, 4, 3, 5, 7}));
  EXPECT_EQ(c[3].text, "Hi");
}

TEST(RenderTest, ImagesShowPlaceholdersUntilTheyArrive) {
  TestApp app([&] {
    Row({}, [] {
      Image({.width = 100, .height = 50, .src = "tiles/a.png"});
      Image({.width = 100, .height = 50, .src = "tiles/a.png"});  // one request for both
      Image({.width = 100, .height = 50, .src = "tiles/missing.png"});
    });
  });
  Host().files["tiles/a.png"] = "PNG bytes";
  app.Frame();
  EXPECT_EQ(Host().fetched, (std::vector<std::string>{"tiles/a.png", "tiles/missing.png"}));
  std::vector<testing::Command> c = Decode(Host().submissions.back());
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].op, 1);  // placeholders
  Host().CompleteFetches();
  app.Frame();
  c = Decode(Host().submissions.back());
  EXPECT_EQ(c[0].op, 2);
  EXPECT_EQ(c[1].op, 2);
  EXPECT_EQ(c[0].image, c[1].image);
  EXPECT_EQ(c[2].op, 1);  // the missing image keeps its placeholder
  ASSERT_FALSE(Host().logs.empty());
  EXPECT_NE(Host().logs.back().second.find("tiles/missing.png could not be loaded"), std::string::npos);
}

TEST(RenderTest, OffscreenContentIsCulled) {
  TestApp app([&] {
    Column({.height = 720, .clip = true}, [] {
      for (int i = 0; i < 100; ++i) Box({.width = 100, .height = 100, .background = Color(0xFFFFFFFF)});
    });
  });
  app.Frame();
  std::vector<testing::Command> c = Decode(Host().submissions.back());
  // clip push/pop plus the 8 boxes that reach into 720 px.
  EXPECT_EQ(c.size(), 10u);
}

TEST(FetchTest, DataArrivesOnALaterFrame) {
  Signal<std::string> text;
  TestApp app([&] {
    text = signal(std::string("loading"));
    fetch("catalog.json", [&](const FetchResult& r) { text.set(std::to_string(r.status) + ":" + r.body); });
    fetch("none.json", [&](const FetchResult& r) { EXPECT_EQ(r.status, 404); });
  });
  Host().files["catalog.json"] = "{}";
  app.Frame();
  EXPECT_EQ(text.peek(), "loading");
  Host().CompleteFetches();
  app.Frame();
  EXPECT_EQ(text.peek(), "200:{}");
}

}  // namespace
}  // namespace ws
