/* How texts travel as SMS: encoding, segments, units and parts (offline, no API call).
 * Run: examples/run-all.sh builds it; by hand see examples/README.md. */
#include <stdbool.h>
#include <stdio.h>

#include <instasent.h>

int main(void) {
    const struct { const char *label, *text; bool smart; } texts[] = {
        {"plain GSM-7", "Your order P-00042 has shipped {track it}", false},
        {"needs UCS-2", "Your order has shipped \xF0\x9F\x93\xA6 \xE2\x80\x94 thanks, Zo\xC3\xAB!", false},
        {"smart encoding", "\xE2\x80\x9CSmart\xE2\x80\x9D quotes \xE2\x80\x93 and dashes\xE2\x80\xA6 cost UCS-2 unless replaced", true},
        {"long", "Reminder: your appointment is tomorrow at 10:00. Reminder: your appointment is tomorrow at 10:00. "
                 "Reminder: your appointment is tomorrow at 10:00. Reminder: your appointment is tomorrow at 10:00. ", false},
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        instasent_segment_info *a = NULL;
        instasent_error *err = NULL;
        if (instasent_segments(texts[t].text, texts[t].smart, &a, &err) != INSTASENT_OK) {
            fprintf(stderr, "%s\n", err->message); /* starts with the code's name */
            instasent_error_free(err);
            return 1;
        }
        printf("%s: encoding=%s segments=%zu units=%zu parts=", texts[t].label, a->encoding_name, a->segments, a->units);
        for (size_t i = 0; i < a->parts_count; i++) printf("%s[%s]", i ? " " : "", a->parts[i]);
        printf("\n");
        if (texts[t].smart) printf("  smart encoding sent \"%s\"\n", a->text);
        instasent_segment_info_free(a);
    }
    return 0;
}
