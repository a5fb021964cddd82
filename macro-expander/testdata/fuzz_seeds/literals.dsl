Column(align: Center, background: #112233, transition: 1.5s, focusable: true) {
  // comment
  Text(text: "a \"b\" c", size: 28)
}