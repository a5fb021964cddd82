// Resources: images and data files come from the host through `fetch` and
// arrive on a later frame. Until an image arrives its element shows a
// placeholder (and keeps it if the image cannot be loaded).
#pragma once

#include <cstdint>
#include <string>

namespace ws::ui {

// Requests images that elements need and delivers finished fetches.
void ResourceSystem();
// A fetch finished (called by the host between frames); handled next frame.
void QueueFetchCompletion(int32_t request, int32_t status, std::string body);
bool ResourcesPending();
// Sends the requests ws::fetch deferred during pre-initialization
// (app.h), in the order the app made them.
void IssueDeferredFetches();
// Pre-initialization with build-time fetches: runs the callbacks of the
// fetches the build answered (not the image requests, which are the
// device's), and whether any answered fetch has not run its callback yet.
void DeliverFetchCompletions();
bool FetchesUnfinished();

}  // namespace ws::ui
