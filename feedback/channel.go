package feedback

import (
	"slices"
	"strings"
)

// A Channel is the way a piece of feedback reached the organisation. Its
// string value is what the complaints hand-off receives.
type Channel string

// The channels feedback arrives through.
const (
	ChannelPhone            Channel = "phone"
	ChannelEmail            Channel = "email"
	ChannelLetter           Channel = "letter"
	ChannelFaceToFace       Channel = "face-to-face"
	ChannelOnlineForm       Channel = "online-form"
	ChannelSurvey           Channel = "survey"
	ChannelSocial           Channel = "social"
	ChannelFeedbackForm     Channel = "feedback-form"
	ChannelMysteryShopper   Channel = "mystery-shopper"
	ChannelStaffObservation Channel = "staff-observation"
	ChannelQuestionnaire    Channel = "questionnaire"
	ChannelInterview        Channel = "interview"
	ChannelMeeting          Channel = "meeting"
	// Third parties asked to comment on the service.
	ChannelIndustryBody Channel = "industry-body"
	ChannelSupplier     Channel = "supplier"
	// ChannelOther is any way the organisation has not named.
	ChannelOther Channel = "other"
)

var channels = []Channel{
	ChannelPhone, ChannelEmail, ChannelLetter, ChannelFaceToFace, ChannelOnlineForm,
	ChannelSurvey, ChannelSocial, ChannelFeedbackForm, ChannelMysteryShopper, ChannelStaffObservation,
	ChannelQuestionnaire, ChannelInterview, ChannelMeeting, ChannelIndustryBody, ChannelSupplier, ChannelOther,
}

// Channels returns every channel, in a fixed order.
func Channels() []Channel { return slices.Clone(channels) }

// Valid reports whether c is one of the defined channels.
func (c Channel) Valid() bool { return slices.Contains(channels, c) }

// ThirdParty reports whether c is a third party commenting on the service
// (an industry body or a supplier) rather than a customer.
func (c Channel) ThirdParty() bool { return c == ChannelIndustryBody || c == ChannelSupplier }

func joinChannels() string {
	s := make([]string, len(channels))
	for i, c := range channels {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
