package htmlwrap

import "testing"

func TestWords(t *testing.T) {
	for in, want := range map[string]string{
		"SEC-01":        `<span class="w">SEC-01</span>`,
		"a  <b>\nc&d":   `<span class="w">a</span> <span class="w">&lt;b&gt;</span><br><span class="w">c&amp;d</span>`,
		"":              ``,
		"GET /x -> 200": `<span class="w">GET</span> <span class="w">/x</span> <span class="w">-&gt;</span> <span class="w">200</span>`,
		"\"q\" 'r'\r\n": `<span class="w">&#34;q&#34;</span> <span class="w">&#39;r&#39;</span><br>`,
	} {
		if got := string(Words(in)); got != want {
			t.Errorf("Words(%q) = %s, want %s", in, got, want)
		}
	}
}
