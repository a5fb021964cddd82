#pragma once

#include <string>

// The line hello prints and shows; kept in its own file so the example has
// a header that more than one source depends on.
std::string Greeting(const std::string& who);
