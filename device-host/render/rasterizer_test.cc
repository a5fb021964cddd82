// canvas.h (included by rasterizer.h) uses size_t without <cstddef>.
#include <cstddef>

#include "device-host/render/rasterizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>

namespace ws::host {
namespace {

using Rgba = std::vector<uint8_t>;
const Rgba kBlack = {0, 0, 0, 255};
const Rgba kRed = {255, 0, 0, 255};
const Rgba kWhite = {255, 255, 255, 255};

DrawCommand Command(DrawOp op) {
  DrawCommand c;
  c.op = op;
  return c;
}

DrawCommand Rect(float x, float y, float w, float h, uint32_t rgba, float radius = 0) {
  DrawCommand c = Command(DrawOp::kRect);
  c.x = x, c.y = y, c.w = w, c.h = h, c.rgba = rgba, c.radius = radius;
  return c;
}
DrawCommand Clip(float x, float y, float w, float h) {
  DrawCommand c = Command(DrawOp::kPushClip);
  c.x = x, c.y = y, c.w = w, c.h = h;
  return c;
}
DrawCommand Opacity(float alpha) {
  DrawCommand c = Command(DrawOp::kPushOpacity);
  c.opacity = alpha;
  return c;
}
DrawCommand Transform(float a, float b, float c, float d, float e, float f) {
  DrawCommand cmd = Command(DrawOp::kPushTransform);
  float m[6] = {a, b, c, d, e, f};
  std::copy(m, m + 6, cmd.matrix);
  return cmd;
}
DrawCommand DrawImage(float x, float y, float w, float h, int32_t id, float opacity = 1) {
  DrawCommand c = Command(DrawOp::kImage);
  c.x = x, c.y = y, c.w = w, c.h = h, c.image = id, c.opacity = opacity;
  return c;
}
DrawCommand Text(float x, float y, float size, uint32_t rgba, std::string text) {
  DrawCommand c = Command(DrawOp::kText);
  c.x = x, c.y = y, c.size = size, c.rgba = rgba, c.text = std::move(text);
  return c;
}
DrawCommand Pop(DrawOp op) { return Command(op); }

Rgba PixelOf(const Canvas& canvas, int x, int y) {
  auto at = canvas.rgba.begin() + (static_cast<ptrdiff_t>(y) * canvas.width + x) * 4;
  return {at, at + 4};
}

bool IsBlack(const Canvas& canvas, int x, int y) { return PixelOf(canvas, x, y) == kBlack; }

// The bounding box of non-black pixels, or an empty box.
struct Box {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
};
Box InkBox(const Canvas& canvas) {
  Box box;
  for (int y = 0; y < canvas.height; ++y) {
    for (int x = 0; x < canvas.width; ++x) {
      if (IsBlack(canvas, x, y)) continue;
      box = {std::min(box.x0, x), std::min(box.y0, y), std::max(box.x1, x + 1), std::max(box.y1, y + 1)};
    }
  }
  return box;
}

// 2x2: red, green / blue, white.
Image Quad() {
  Image image(2, 2);
  image.rgba = {255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255};
  return image;
}

class RasterizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<std::unique_ptr<Font>> loaded = Font::Load(Font::DefaultPath());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    font_ = std::move(*loaded).release();
  }
  static void TearDownTestSuite() {
    delete font_;
    font_ = nullptr;
  }

  Canvas Render(std::vector<DrawCommand> commands, int w = 64, int h = 64) {
    Canvas canvas(w, h);
    Rasterize(DrawList{std::move(commands)}, images_, *font_, canvas);
    return canvas;
  }

  static Font* font_;
  ImageStore images_;
};

Font* RasterizerTest::font_ = nullptr;

TEST_F(RasterizerTest, ClearsToOpaqueBlack) {
  Canvas canvas(8, 4);
  std::fill(canvas.rgba.begin(), canvas.rgba.end(), 77);
  Rasterize(DrawList{}, images_, *font_, canvas);
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 8; ++x) EXPECT_TRUE(IsBlack(canvas, x, y)) << x << "," << y;
  }
}

TEST_F(RasterizerTest, RectCoversExactlyItsPixels) {
  Canvas canvas = Render({Rect(10, 20, 30, 15, 0xFF0000FF)});
  EXPECT_EQ(PixelOf(canvas, 10, 20), kRed);
  EXPECT_EQ(PixelOf(canvas, 39, 34), kRed);
  EXPECT_EQ(PixelOf(canvas, 25, 27), kRed);
  EXPECT_TRUE(IsBlack(canvas, 9, 20));
  EXPECT_TRUE(IsBlack(canvas, 40, 20));
  EXPECT_TRUE(IsBlack(canvas, 10, 19));
  EXPECT_TRUE(IsBlack(canvas, 39, 35));
  int red = 0;
  for (size_t i = 0; i < canvas.rgba.size(); i += 4) red += canvas.rgba[i] == 255;
  EXPECT_EQ(red, 30 * 15);
}

TEST_F(RasterizerTest, FractionalEdgesAreAntiAliased) {
  Canvas canvas = Render({Rect(10.5f, 10, 10, 10.25f, 0xFFFFFFFF)});
  EXPECT_EQ(PixelOf(canvas, 10, 12), (Rgba{128, 128, 128, 255}));  // half covered
  EXPECT_EQ(PixelOf(canvas, 20, 12), (Rgba{128, 128, 128, 255}));
  EXPECT_EQ(PixelOf(canvas, 15, 20), (Rgba{64, 64, 64, 255}));  // a quarter
  EXPECT_EQ(PixelOf(canvas, 15, 12), kWhite);
  EXPECT_TRUE(IsBlack(canvas, 9, 12));
}

TEST_F(RasterizerTest, RoundedCornersLeaveTheCornerPixelBlack) {
  Canvas canvas = Render({Rect(10, 10, 40, 40, 0xFFFFFFFF, 10)});
  for (auto [x, y] : {std::pair{10, 10}, {49, 10}, {10, 49}, {49, 49}}) {
    EXPECT_TRUE(IsBlack(canvas, x, y)) << x << "," << y;
  }
  EXPECT_EQ(PixelOf(canvas, 30, 10), kWhite);  // straight part of the top edge
  EXPECT_EQ(PixelOf(canvas, 10, 30), kWhite);
  EXPECT_EQ(PixelOf(canvas, 30, 30), kWhite);
  EXPECT_EQ(PixelOf(canvas, 15, 15), kWhite);  // inside the arc
  // The arc is anti-aliased: some pixel of the corner square is partly covered.
  int partial = 0;
  for (int y = 10; y < 20; ++y) {
    for (int x = 10; x < 20; ++x) partial += PixelOf(canvas, x, y)[0] % 255 != 0;
  }
  EXPECT_GT(partial, 3);
}

TEST_F(RasterizerTest, ClipLimitsDrawing) {
  Canvas canvas = Render({Clip(10, 10, 20, 20), Rect(0, 0, 64, 64, 0xFFFFFFFF), Pop(DrawOp::kPopClip),
                          Rect(50, 50, 4, 4, 0xFF0000FF)});
  EXPECT_TRUE(IsBlack(canvas, 9, 9));
  EXPECT_TRUE(IsBlack(canvas, 30, 30));
  EXPECT_TRUE(IsBlack(canvas, 30, 15));
  EXPECT_EQ(PixelOf(canvas, 10, 10), kWhite);
  EXPECT_EQ(PixelOf(canvas, 29, 29), kWhite);
  EXPECT_EQ(PixelOf(canvas, 51, 51), kRed);  // the pop lifted the clip
}

TEST_F(RasterizerTest, NestedClipsIntersectAndFollowTheTransform) {
  Canvas canvas = Render({Transform(2, 0, 0, 2, 0, 0), Clip(5, 5, 10, 10), Clip(0, 0, 8, 8),
                          Rect(0, 0, 64, 64, 0xFFFFFFFF), Pop(DrawOp::kPopClip), Pop(DrawOp::kPopClip),
                          Pop(DrawOp::kPopTransform)});
  // Device clip: [10, 30) intersected with [0, 16) = [10, 16) on both axes.
  EXPECT_EQ(PixelOf(canvas, 10, 10), kWhite);
  EXPECT_EQ(PixelOf(canvas, 15, 15), kWhite);
  EXPECT_TRUE(IsBlack(canvas, 16, 15));
  EXPECT_TRUE(IsBlack(canvas, 9, 12));
}

TEST_F(RasterizerTest, DisjointClipsHideEverything) {
  Canvas canvas = Render({Clip(0, 0, 10, 10), Clip(30, 30, 10, 10), Rect(0, 0, 64, 64, 0xFFFFFFFF),
                          Text(0, 0, 30, 0xFFFFFFFF, "X"), Pop(DrawOp::kPopClip), Pop(DrawOp::kPopClip)});
  EXPECT_EQ(InkBox(canvas).x1, -1);
}

TEST_F(RasterizerTest, OpacityHalvesAColor) {
  Canvas canvas = Render({Opacity(0.5f), Rect(0, 0, 10, 10, 0xFFFFFFFF), Opacity(0.5f),
                          Rect(20, 0, 10, 10, 0xFFFFFFFF), Pop(DrawOp::kPopOpacity), Pop(DrawOp::kPopOpacity),
                          Rect(40, 0, 10, 10, 0xFFFFFF80), Rect(0, 20, 10, 10, 0xFFFFFFFF)});
  EXPECT_EQ(PixelOf(canvas, 5, 5), (Rgba{128, 128, 128, 255}));
  EXPECT_EQ(PixelOf(canvas, 25, 5), (Rgba{64, 64, 64, 255}));  // nested groups multiply
  EXPECT_EQ(PixelOf(canvas, 45, 5), (Rgba{128, 128, 128, 255}));  // the color's own alpha
  EXPECT_EQ(PixelOf(canvas, 5, 25), kWhite);  // after the pops
}

TEST_F(RasterizerTest, BlendsSourceOver) {
  Canvas canvas = Render({Rect(0, 0, 10, 10, 0xFF0000FF), Rect(0, 0, 10, 10, 0x0000FF80)});
  EXPECT_EQ(PixelOf(canvas, 5, 5), (Rgba{127, 0, 128, 255}));
}

TEST_F(RasterizerTest, TransformScaleDoublesARect) {
  Canvas canvas = Render({Transform(2, 0, 0, 2, 5, 0), Rect(10, 10, 10, 10, 0xFF0000FF),
                          Pop(DrawOp::kPopTransform), Rect(0, 60, 2, 2, 0xFFFFFFFF)});
  EXPECT_EQ(PixelOf(canvas, 25, 20), kRed);
  EXPECT_EQ(PixelOf(canvas, 44, 39), kRed);
  EXPECT_TRUE(IsBlack(canvas, 24, 20));
  EXPECT_TRUE(IsBlack(canvas, 45, 39));
  EXPECT_TRUE(IsBlack(canvas, 44, 40));
  EXPECT_EQ(PixelOf(canvas, 1, 61), kWhite);
  EXPECT_TRUE(IsBlack(canvas, 2, 61));  // the pop restored identity
}

TEST_F(RasterizerTest, TransformsCompose) {
  // scale 2 then translate 3 (in scaled units): x' = 2 * (x + 3).
  Canvas canvas = Render({Transform(2, 0, 0, 2, 0, 0), Transform(1, 0, 0, 1, 3, 3),
                          Rect(0, 0, 2, 2, 0xFF0000FF), Pop(DrawOp::kPopTransform),
                          Pop(DrawOp::kPopTransform)});
  EXPECT_EQ(PixelOf(canvas, 6, 6), kRed);
  EXPECT_EQ(PixelOf(canvas, 9, 9), kRed);
  EXPECT_TRUE(IsBlack(canvas, 5, 6));
  EXPECT_TRUE(IsBlack(canvas, 10, 9));
}

TEST_F(RasterizerTest, ImageIsDrawnScaled) {
  images_[7] = Quad();
  Canvas canvas = Render({DrawImage(0, 0, 20, 20, 7)});
  EXPECT_EQ(PixelOf(canvas, 2, 2), kRed);
  EXPECT_EQ(PixelOf(canvas, 17, 2), (Rgba{0, 255, 0, 255}));
  EXPECT_EQ(PixelOf(canvas, 2, 17), (Rgba{0, 0, 255, 255}));
  EXPECT_EQ(PixelOf(canvas, 17, 17), kWhite);
  Rgba middle = PixelOf(canvas, 10, 2);  // bilinear blend of red and green
  EXPECT_GT(middle[0], 60);
  EXPECT_GT(middle[1], 60);
  EXPECT_TRUE(IsBlack(canvas, 20, 5));
  EXPECT_TRUE(IsBlack(canvas, 5, 20));
}

TEST_F(RasterizerTest, ImageOpacityAndTransparency) {
  Image image(1, 1);
  image.rgba = {255, 255, 255, 128};
  images_[1] = image;
  images_[2] = Quad();
  Canvas canvas = Render({DrawImage(0, 0, 10, 10, 1), DrawImage(20, 0, 10, 10, 2, 0.5f)});
  EXPECT_EQ(PixelOf(canvas, 5, 5), (Rgba{128, 128, 128, 255}));
  EXPECT_EQ(PixelOf(canvas, 21, 1), (Rgba{128, 0, 0, 255}));
}

TEST_F(RasterizerTest, UnknownImageDrawsNothing) {
  images_[3] = Image();  // present but empty
  Canvas canvas = Render({DrawImage(0, 0, 64, 64, 99), DrawImage(0, 0, 64, 64, 3)});
  EXPECT_TRUE(std::all_of(canvas.rgba.begin(), canvas.rgba.end(),
                          [i = 0](uint8_t v) mutable { return (i++ % 4 == 3) ? v == 255 : v == 0; }));
}

TEST_F(RasterizerTest, TextStaysInItsMeasuredBox) {
  const float kX = 20, kY = 30, kSize = 24;
  TextSize measured = font_->Measure("Hello, Wg!", kSize);
  Canvas canvas = Render({Text(kX, kY, kSize, 0xFFFFFFFF, "Hello, Wg!")}, 256, 96);
  Box ink = InkBox(canvas);
  ASSERT_GE(ink.x1, 0) << "no text drawn";
  EXPECT_GE(ink.x0, kX);
  EXPECT_GE(ink.y0, kY);
  EXPECT_LE(ink.x1, kX + measured.width + 1);  // anti-aliasing may spill one pixel
  EXPECT_LE(ink.y1, kY + measured.height);
  EXPECT_GT(ink.x1 - ink.x0, static_cast<int>(measured.width) * 3 / 4);
  EXPECT_GT(ink.y1 - ink.y0, kSize / 2);
}

TEST_F(RasterizerTest, TextUsesColorAndIsClipped) {
  Canvas canvas = Render({Clip(0, 0, 30, 64), Text(4, 4, 40, 0x00FF00FF, "MMMM"), Pop(DrawOp::kPopClip)}, 128, 64);
  Box ink = InkBox(canvas);
  EXPECT_LE(ink.x1, 30);
  bool green = false;
  for (size_t i = 0; i < canvas.rgba.size(); i += 4) {
    EXPECT_EQ(canvas.rgba[i], 0);
    green |= canvas.rgba[i + 1] == 255;
  }
  EXPECT_TRUE(green);
}

TEST_F(RasterizerTest, TextScalesWithTheTransform) {
  Canvas plain = Render({Text(0, 0, 16, 0xFFFFFFFF, "Scale")}, 200, 80);
  Canvas doubled = Render({Transform(2, 0, 0, 2, 0, 0), Text(0, 0, 16, 0xFFFFFFFF, "Scale"),
                           Pop(DrawOp::kPopTransform)}, 200, 80);
  Box a = InkBox(plain), b = InkBox(doubled);
  EXPECT_NEAR(b.x1 - b.x0, 2 * (a.x1 - a.x0), 4);
  EXPECT_NEAR(b.y1 - b.y0, 2 * (a.y1 - a.y0), 3);
}

TEST_F(RasterizerTest, SurvivesHandBuiltNonsense) {
  const float kInf = std::numeric_limits<float>::infinity();
  Canvas canvas = Render({Pop(DrawOp::kPopClip), Pop(DrawOp::kPopTransform), Pop(DrawOp::kPopOpacity),
                          Rect(NAN, 0, 10, 10, 0xFFFFFFFF), Rect(0, 0, kInf, 10, 0xFFFFFFFF),
                          Rect(-1e30f, -1e30f, 2e30f, 2e30f, 0xFF0000FF, 1e30f),
                          Transform(1e30f, 0, 0, 1e30f, 0, 0), Transform(1e30f, 0, 0, 1e30f, 0, 0),
                          Rect(1, 1, 1, 1, 0xFFFFFFFF), Text(0, 0, 16, 0xFFFFFFFF, "x"),
                          Clip(0, 0, 1, 1), DrawImage(0, 0, 1, 1, 1)});
  EXPECT_EQ(PixelOf(canvas, 32, 32), kRed);  // the huge rect covered everything
}

std::vector<DrawCommand> RepresentativeFrame() {
  std::vector<DrawCommand> frame = {Rect(0, 0, 1280, 720, 0x101820FF), Text(64, 32, 40, 0xFFFFFFFF, "Featured")};
  for (int row = 0; row < 5; ++row) {
    frame.push_back(Text(64, 100 + row * 125, 20, 0xC0C8D0FF, "Row " + std::to_string(row) + ": Continue watching"));
    frame.push_back(Clip(0, 126 + row * 125, 1280, 100));
    for (int i = 0; i < 14; ++i) {
      float x = 64 + i * 180.f, y = 126 + row * 125.f;
      frame.push_back(Rect(x - 3, y - 3, 166, 106, 0xFFFFFF40, 10));
      frame.push_back(DrawImage(x, y, 160, 100, 1 + (i % 3)));
      frame.push_back(Rect(x, y + 80, 160, 20, 0x000000A0, 0));
      frame.push_back(Text(x + 6, y + 82, 14, 0xFFFFFFFF, "Episode " + std::to_string(i + 1)));
    }
    frame.push_back(Pop(DrawOp::kPopClip));
  }
  frame.push_back(Opacity(0.8f));
  frame.push_back(Transform(1.1f, 0, 0, 1.1f, -20, -10));
  frame.push_back(Rect(240, 150, 180, 110, 0xFFCC00FF, 12));
  frame.push_back(Pop(DrawOp::kPopTransform));
  frame.push_back(Pop(DrawOp::kPopOpacity));
  return frame;
}

void AddPosters(ImageStore& images) {
  for (int id = 1; id <= 3; ++id) {
    Image poster(320 / id, 200 / id);
    for (size_t i = 0; i < poster.rgba.size(); ++i) {
      poster.rgba[i] = (i % 4 == 3) ? 255 : static_cast<uint8_t>(i * id / 5);
    }
    images[id] = poster;
  }
}

TEST_F(RasterizerTest, RenderingIsDeterministic) {
  AddPosters(images_);
  std::vector<DrawCommand> frame = RepresentativeFrame();
  ASSERT_GT(frame.size(), 290u);
  Canvas first = Render(frame, 1280, 720);
  Canvas second = Render(frame, 1280, 720);
  EXPECT_EQ(first.rgba, second.rgba);
  // A fresh font (cold glyph cache) draws the same bytes.
  Result<std::unique_ptr<Font>> other = Font::Load(Font::DefaultPath());
  ASSERT_TRUE(other.ok());
  Canvas third(1280, 720);
  Rasterize(DrawList{frame}, images_, **other, third);
  EXPECT_EQ(first.rgba, third.rgba);
  EXPECT_FALSE(IsBlack(first, 100, 200));
}

TEST_F(RasterizerTest, RepresentativeFrameTiming) {
  AddPosters(images_);
  DrawList frame{RepresentativeFrame()};
  Canvas canvas(1280, 720);
  Rasterize(frame, images_, *font_, canvas);  // warm the glyph cache
  std::vector<double> ms;
  for (int run = 0; run < 9; ++run) {
    auto start = std::chrono::steady_clock::now();
    Rasterize(frame, images_, *font_, canvas);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::cout << "1280x720, " << frame.commands.size() << " commands: median " << ms[ms.size() / 2]
            << " ms, min " << ms.front() << " ms\n";
  RecordProperty("median_ms", std::to_string(ms[ms.size() / 2]));
  EXPECT_EQ(PixelOf(canvas, 1, 1), (Rgba{0x10, 0x18, 0x20, 255}));
}

}  // namespace
}  // namespace ws::host
