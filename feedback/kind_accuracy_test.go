package feedback

import (
	"testing"
)

// kindSet is a labelled table for measuring InferKind: 30 sentences of each
// kind, written for this test in the voice of hotel, restaurant and shop
// customers, across channels (a comment card, an email, a review, a remark
// at the desk). They were written before the figure below was measured and
// the lexicon was not tuned on them, so the figure is an honest estimate
// for short English feedback, not a training score.
var kindSet = []struct {
	text string
	kind Kind
}{
	// Compliments.
	{"The staff at reception were so friendly and helpful.", KindCompliment},
	{"Thank you for a wonderful stay, we will be back.", KindCompliment},
	{"Breakfast was delicious, especially the pancakes.", KindCompliment},
	{"Our room was spotless every day.", KindCompliment},
	{"Many thanks to Maria in housekeeping for her care.", KindCompliment},
	{"Excellent service from start to finish.", KindCompliment},
	{"The chef made my daughter a special gluten-free cake, we were so impressed.", KindCompliment},
	{"Lovely quiet room with a great view of the bay.", KindCompliment},
	{"I just wanted to say how much we enjoyed our weekend.", KindCompliment},
	{"The concierge went out of his way to find us theatre tickets.", KindCompliment},
	{"Best hotel breakfast I have ever had!", KindCompliment},
	{"Check in was quick and the receptionist was charming.", KindCompliment},
	{"Everything was perfect, thank you all.", KindCompliment},
	{"Fantastic pool and very clean changing rooms.", KindCompliment},
	{"The waiter remembered our names on the second night, a really nice touch.", KindCompliment},
	{"Well done to the whole team for a smooth wedding day.", KindCompliment},
	{"We appreciated the late checkout at no extra charge.", KindCompliment},
	{"Superb food and friendly service in the bar.", KindCompliment},
	{"Your delivery driver was polite and careful with the parcel.", KindCompliment},
	{"The new website makes booking so easy.", KindCompliment},
	{"Brilliant stay, the kids loved the games room.", KindCompliment},
	{"Compliments to the night porter who helped us with our bags.", KindCompliment},
	{"The spa treatment was outstanding.", KindCompliment},
	{"Very comfortable beds, we slept really well.", KindCompliment},
	{"A pleasure to deal with your customer service team.", KindCompliment},
	{"Amazing views and a warm welcome.", KindCompliment},
	{"Thanks for sorting out the mix-up with our room so quickly.", KindCompliment},
	{"Room service arrived hot and on time, great job.", KindCompliment},
	{"The gardens are beautiful and well kept.", KindCompliment},
	{"Kind and patient staff who made my elderly mother feel at home.", KindCompliment},

	// Complaints.
	{"The shower was cold every morning.", KindComplaint},
	{"Nobody answered the phone at reception for twenty minutes.", KindComplaint},
	{"Our room had not been cleaned when we came back at 5pm.", KindComplaint},
	{"The waiter was rude when we asked for the bill.", KindComplaint},
	{"I was charged twice for the minibar.", KindComplaint},
	{"The bathroom smelled of damp and there was mould on the tiles.", KindComplaint},
	{"We waited over an hour for our main course.", KindComplaint},
	{"The air conditioning is broken and the room is too hot to sleep.", KindComplaint},
	{"Very disappointed with the size of the room for the price.", KindComplaint},
	{"Loud music from the bar kept us awake until 2am.", KindComplaint},
	{"My parcel arrived damaged and the box was soaking wet.", KindComplaint},
	{"The sheets were stained.", KindComplaint},
	{"I still haven't received my refund after three weeks.", KindComplaint},
	{"The wifi kept dropping out all weekend.", KindComplaint},
	{"Your staff ignored us at the front desk while they chatted.", KindComplaint},
	{"The steak was overcooked and the chips were soggy.", KindComplaint},
	{"We booked a sea view and got a car park view.", KindComplaint},
	{"The lift was out of order for our whole stay.", KindComplaint},
	{"Terrible service in the restaurant tonight.", KindComplaint},
	{"There was hair in the sink when we arrived.", KindComplaint},
	{"The online form crashed twice before I could submit my booking.", KindComplaint},
	{"I was overcharged for parking.", KindComplaint},
	{"The pool was closed without any warning.", KindComplaint},
	{"My order was wrong again.", KindComplaint},
	{"The receptionist lost our reservation and we had to wait for a room.", KindComplaint},
	{"Breakfast ran out of everything by eight o'clock.", KindComplaint},
	{"Awful experience, the worst hotel we have stayed in.", KindComplaint},
	{"The kettle in our room doesn't work.", KindComplaint},
	{"Housekeeping walked in while I was still in bed.", KindComplaint},
	{"Nobody told us the spa would be shut for maintenance.", KindComplaint},

	// Suggestions.
	{"It would be nice to have a kettle in the room.", KindSuggestion},
	{"I would like to see more vegetarian dishes on the menu.", KindSuggestion},
	{"You could offer a shuttle bus to the station.", KindSuggestion},
	{"Please add a gluten-free option at breakfast.", KindSuggestion},
	{"Maybe open the pool an hour earlier for people who swim before work.", KindSuggestion},
	{"Consider putting a map of the area in each room.", KindSuggestion},
	{"I suggest a quiet floor for guests without children.", KindSuggestion},
	{"A few more sun loungers by the pool would help.", KindSuggestion},
	{"Why not let guests order room service through the app?", KindSuggestion},
	{"It would be great if the bar served food after ten.", KindSuggestion},
	{"Perhaps offer a late checkout for loyalty members.", KindSuggestion},
	{"The website should show which rooms have a bath.", KindSuggestion},
	{"Longer opening hours for the gym would be good.", KindSuggestion},
	{"My idea: give guests a welcome drink voucher at check in.", KindSuggestion},
	{"I wish you had plugs beside the bed for charging phones.", KindSuggestion},
	{"You might think about adding oat milk for coffee.", KindSuggestion},
	{"Could you put hooks on the back of the bathroom door?", KindSuggestion},
	{"More choice of pillows would be welcome.", KindSuggestion},
	{"I would love to be able to check in online before arriving.", KindSuggestion},
	{"Offer a children's menu in the restaurant.", KindSuggestion},
	{"It would help to have the wifi password on the key card.", KindSuggestion},
	{"Next time, send the invoice by email instead of post.", KindSuggestion},
	{"I recommend adding a few bikes for guests to borrow.", KindSuggestion},
	{"A daily newsletter of local events would be a nice extra.", KindSuggestion},
	{"You should let guests choose their room on the booking page.", KindSuggestion},
	{"Adding a water refill station on each floor would cut plastic waste.", KindSuggestion},
	{"The survey would be shorter if you dropped the questions about parking.", KindSuggestion},
	{"Please consider a cheaper room rate for weekday stays.", KindSuggestion},
	{"Try offering breakfast in the garden when the weather is good.", KindSuggestion},
	{"The menu could include some lighter dishes at lunch.", KindSuggestion},

	// Questions.
	{"What time does breakfast start on Sundays?", KindQuestion},
	{"Is there parking at the hotel?", KindQuestion},
	{"Do you allow dogs in the rooms?", KindQuestion},
	{"How far is the hotel from the train station?", KindQuestion},
	{"Can I change my booking to next Friday?", KindQuestion},
	{"Where do I collect my lost property?", KindQuestion},
	{"Does the room rate include breakfast?", KindQuestion},
	{"When will my refund be processed?", KindQuestion},
	{"Are there any rooms with two double beds?", KindQuestion},
	{"Which bus goes to the city centre?", KindQuestion},
	{"Can we bring our own cake for a birthday dinner?", KindQuestion},
	{"Is the spa open to non-residents?", KindQuestion},
	{"How do I get a copy of my invoice", KindQuestion},
	{"Who should I speak to about a group booking?", KindQuestion},
	{"Will the pool be open over Easter?", KindQuestion},
	{"What is the wifi password?", KindQuestion},
	{"Do you have a cot for a baby?", KindQuestion},
	{"I was wondering whether you have an accessible room on the ground floor.", KindQuestion},
	{"Is it possible to store luggage after checkout?", KindQuestion},
	{"How much is the airport transfer?", KindQuestion},
	{"Could you tell me if the restaurant takes bookings?", KindQuestion},
	{"Are children allowed in the gym?", KindQuestion},
	{"Do I need to print my booking confirmation?", KindQuestion},
	{"What payment methods do you accept?", KindQuestion},
	{"Is there a charge for early check in?", KindQuestion},
	{"When does the bar close?", KindQuestion},
	{"Can guests use the tennis court?", KindQuestion},
	{"How long does it take to get a refund to my card?", KindQuestion},
	{"Where can I leave my car overnight?", KindQuestion},
	{"Does the hotel have a lift to every floor?", KindQuestion},
}

// kindHeldOut was written after the lexicon was adjusted on kindSet and
// never used to adjust it: ten fresh sentences of each kind, so its figure
// is the fair one.
var kindHeldOut = []struct {
	text string
	kind Kind
}{
	{"Thanks so much to the breakfast team, the eggs were perfect.", KindCompliment},
	{"Really impressed by how fast my replacement arrived.", KindCompliment},
	{"The room was lovely and smelled fresh.", KindCompliment},
	{"Our guide on the garden tour was excellent.", KindCompliment},
	{"A big thank you to Sam at the bar.", KindCompliment},
	{"We had a great time, the staff could not do enough for us.", KindCompliment},
	{"The bed was so comfortable I did not want to get up.", KindCompliment},
	{"Friendly welcome and a spotless room.", KindCompliment},
	{"The new menu is delicious.", KindCompliment},
	{"Your call centre agent was patient and solved it in one call.", KindCompliment},

	{"The toilet would not flush.", KindComplaint},
	{"We were given a smoking room although we booked non-smoking.", KindComplaint},
	{"The food was bland and overpriced.", KindComplaint},
	{"Staff were unhelpful when my card was declined.", KindComplaint},
	{"Nobody cleaned the room for three days.", KindComplaint},
	{"The towels were grey and had holes in them.", KindComplaint},
	{"I was kept on hold for forty minutes.", KindComplaint},
	{"The heating did not work and the room was freezing.", KindComplaint},
	{"My delivery was late and the driver was rude.", KindComplaint},
	{"There were cockroaches in the kitchen area.", KindComplaint},

	{"It would be good to have a fridge in the room.", KindSuggestion},
	{"Please offer decaf coffee at breakfast.", KindSuggestion},
	{"You could put a sign up showing the way to the car park.", KindSuggestion},
	{"I would like the option of a paper receipt.", KindSuggestion},
	{"Maybe add a few vegan cakes to the afternoon tea.", KindSuggestion},
	{"Consider a cheaper menu for children.", KindSuggestion},
	{"I suggest opening the restaurant for lunch on Mondays.", KindSuggestion},
	{"More power sockets near the desk would be useful.", KindSuggestion},
	{"Perhaps the survey could be sent by text message.", KindSuggestion},
	{"It would be nice if the shop stayed open later.", KindSuggestion},

	{"Is breakfast served in the room?", KindQuestion},
	{"How do I cancel my reservation?", KindQuestion},
	{"What is your refund policy?", KindQuestion},
	{"Do you have rooms with a balcony?", KindQuestion},
	{"Can I pay by bank transfer?", KindQuestion},
	{"Where is the nearest pharmacy?", KindQuestion},
	{"When is the swimming pool cleaned?", KindQuestion},
	{"Are pets allowed in the garden?", KindQuestion},
	{"Does the price include parking?", KindQuestion},
	{"Will there be live music on Saturday?", KindQuestion},
}

// The floors sit a little under the accuracy measured (see doc.go): on
// kindSet, 0.842 before the lexicon was adjusted on it and 0.983 after; on
// the held-out sentences 0.925. A change to the lexicon that loses more than
// a couple of sentences fails here.
const (
	kindFloor        = 0.95
	kindHeldOutFloor = 0.90
)

func TestInferKindHeldOutAccuracy(t *testing.T) {
	right := 0
	var confRight, confWrong float64
	for _, tt := range kindHeldOut {
		got, conf := InferKind(tt.text)
		if got == tt.kind {
			right++
			confRight += conf
		} else {
			confWrong += conf
			t.Logf("miss: %q -> %s (%.2f), labelled %s", tt.text, got, conf, tt.kind)
		}
	}
	wrong := len(kindHeldOut) - right
	acc := float64(right) / float64(len(kindHeldOut))
	t.Logf("InferKind on %d held-out sentences: accuracy %.3f; mean confidence right %.2f, wrong %.2f",
		len(kindHeldOut), acc, confRight/float64(max(right, 1)), confWrong/float64(max(wrong, 1)))
	if acc < kindHeldOutFloor {
		t.Errorf("held-out accuracy %.3f below floor %.2f", acc, kindHeldOutFloor)
	}
}

func TestInferKindAccuracy(t *testing.T) {
	counts := map[Kind]int{}
	correct := map[Kind]int{}
	confRight, confWrong := 0.0, 0.0
	nRight, nWrong := 0, 0
	for _, tt := range kindSet {
		counts[tt.kind]++
		got, conf := InferKind(tt.text)
		if !(conf >= 0 && conf <= 1) {
			t.Fatalf("InferKind(%q) confidence %v outside [0, 1]", tt.text, conf)
		}
		if got == tt.kind {
			correct[tt.kind]++
			confRight += conf
			nRight++
		} else {
			confWrong += conf
			nWrong++
			t.Logf("miss: %q -> %s (%.2f), labelled %s", tt.text, got, conf, tt.kind)
		}
	}
	for _, k := range kinds {
		if counts[k] != 30 {
			t.Fatalf("%d %s sentences in the table, want 30", counts[k], k)
		}
	}
	acc := float64(nRight) / float64(len(kindSet))
	t.Logf("InferKind on %d labelled sentences: accuracy %.3f (compliment %d/30, complaint %d/30, suggestion %d/30, question %d/30); mean confidence right %.2f, wrong %.2f",
		len(kindSet), acc, correct[KindCompliment], correct[KindComplaint], correct[KindSuggestion], correct[KindQuestion],
		confRight/float64(max(nRight, 1)), confWrong/float64(max(nWrong, 1)))
	if acc < kindFloor {
		t.Errorf("accuracy %.3f below floor %.2f", acc, kindFloor)
	}
	// The confidence must mean something: wrong guesses should on average
	// be less sure than right ones, so the low ones are worth a person's
	// look.
	if nWrong > 0 && confWrong/float64(nWrong) >= confRight/float64(nRight) {
		t.Errorf("mean confidence of wrong guesses %.2f is not below that of right ones %.2f", confWrong/float64(nWrong), confRight/float64(nRight))
	}
	for _, k := range kinds {
		if correct[k] < 20 {
			t.Errorf("%s: only %d of 30 right", k, correct[k])
		}
	}
}
